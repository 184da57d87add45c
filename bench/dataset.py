"""Build a realistic dataset in the configured database, fast (bulk inserts, no API calls).

    HRM2_VAR_DIR=… python -m bench.dataset --rows 10000

Positions with criteria versions; resumes in Chinese and English spread over them; groups of 20;
a completed screening report for every other resume; a video record for every tenth.
"""

import argparse
import hashlib
import os
import time
import uuid
from datetime import timedelta

POSITIONS = ["后端开发工程师", "数据分析师", "产品经理", "Frontend Engineer", "会计"]
BATCH = 5000


def build(rows: int) -> dict[str, float]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrm2.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.resumes import BACKEND_CRITERIA, make_resumes
    from hrm2.ai import get_engine
    from hrm2.jobs.models import Job
    from hrm2.positions.models import CriteriaVersion, Position
    from hrm2.resumes.models import Resume, ResumeGroup
    from hrm2.screening.models import ScreeningReport, ScreeningTask
    from hrm2.videos.models import VideoAnalysis

    started = time.perf_counter()
    user = get_user_model().objects.filter(is_superuser=True).first()
    now = timezone.now()
    positions = []
    with transaction.atomic():
        for title in POSITIONS:
            position = Position.objects.create(title=title, saved_at=now, created_by=user)
            version = CriteriaVersion.objects.create(
                position=position, number=1, criteria={**BACKEND_CRITERIA, "position": title}
            )
            position.latest_version = version
            position.save(update_fields=["latest_version"])
            positions.append(position)
    texts = make_resumes(200)
    engine = get_engine("embedded")
    results = [engine.screen(t, BACKEND_CRITERIA).model_dump(mode="json") for t in texts[:20]]
    job = Job.objects.create(kind="screening", status="completed", total=rows // 2, progress=100)
    task = ScreeningTask.objects.create(
        job=job,
        position=positions[0],
        criteria_version=positions[0].latest_version,
        engine="embedded",
        created_by=user,
    )
    for offset in range(0, rows, BATCH):
        with transaction.atomic():
            groups = [
                ResumeGroup(
                    position=positions[(offset + i) % len(positions)],
                    group_name=f"批次 {offset + i}",
                    created_by=user,
                )
                for i in range(0, min(BATCH, rows - offset), 20)
            ]
            ResumeGroup.objects.bulk_create(groups)
            resumes, reports, videos = [], [], []
            for i in range(offset, min(offset + BATCH, rows)):
                text = f"{texts[i % len(texts)]}\n# {i}"
                result = results[i % len(results)]
                resume = Resume(
                    id=uuid.uuid4(),
                    position=positions[i % len(positions)],
                    group=groups[(i - offset) // 20] if i % 3 else None,
                    candidate_name=text.splitlines()[0].removeprefix("姓名：")[:40],
                    content=text,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    status="screened" if i % 2 == 0 else "pending",
                    latest_score=result["overall"] if i % 2 == 0 else None,
                    latest_recommendation=result["recommendation"] if i % 2 == 0 else "",
                    uploaded_by=user,
                )
                resumes.append(resume)
                if i % 2 == 0:
                    reports.append(
                        ScreeningReport(
                            task=task,
                            resume=resume,
                            status="completed",
                            engine="embedded",
                            overall_score=result["overall"],
                            recommendation=result["recommendation"],
                            result=result,
                            completed_at=now,
                        )
                    )
                if i % 10 == 0:
                    videos.append(
                        VideoAnalysis(
                            candidate_name=resume.candidate_name,
                            position_applied=resume.position.title,
                            resume=resume,
                            video_name=f"interview-{i}.mp4",
                        )
                    )
            Resume.objects.bulk_create(resumes)
            ScreeningReport.objects.bulk_create(reports)
            VideoAnalysis.objects.bulk_create(videos)
        # Spread creation times so ordering by created_at is realistic.
        Resume.objects.filter(pk__in=[r.pk for r in resumes]).update(
            created_at=now - timedelta(minutes=rows - offset)
        )
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: planner statistics and the visibility map
        # (without them a deep page sorts the whole table instead of reading the index).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"rows": rows, "seconds": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    figures = build(args.rows)
    print(f"built {figures['rows']} resumes in {figures['seconds']:.1f} s")


if __name__ == "__main__":
    main()
