"""The one job machinery every long task uses: a job row, a runner registry, heartbeats, a reaper.

Job state lives in our table, never only in the broker or in process memory, so a job survives
restarts: a worker that dies leaves a stale heartbeat, and any live worker's monitor requeues
(or, after ``JOB_MAX_ATTEMPTS``, fails) the job.
"""
