"""End-to-end tests: real ``hrm2`` processes (migrate, worker) against a throwaway database."""
