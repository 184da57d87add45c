"""The practical limit: a minimal WSGI app (no framework) answering the same list and detail
queries with the same JSON as HRM2, on the same database. Served by the same server and layout.

    granian --interface wsgi bench.baseline:app   (DATABASE_URL or HRM2_VAR_DIR select the database)

It checks only that an Authorization header is present (no JWT verification, no permissions,
no validation beyond int parsing): HRM2 ÷ baseline is the cost of everything HRM2 does on top.
"""

import math
import os
import sqlite3
import threading
import uuid
from pathlib import Path
from urllib.parse import parse_qs

import orjson

_local = threading.local()
POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
# The title by a correlated subquery, as HRM2 does: evaluated for returned rows only, so deep
# pages do not join every skipped row.
LIST_COLUMNS = (
    "r.id, r.position_id, (SELECT p.title FROM positions_position p WHERE p.id = r.position_id), "
    "r.group_id, r.candidate_name, r.status, r.latest_score, r.confirmed_score, "
    "r.latest_recommendation, r.source_kind, r.original_filename, r.warnings, "
    "length(r.content), r.created_at, r.updated_at"
)
KEYS = (
    "id",
    "position_id",
    "position_title",
    "group_id",
    "candidate_name",
    "status",
    "latest_score",
    "confirmed_score",
    "latest_recommendation",
    "source_kind",
    "original_filename",
    "warnings",
    "content_length",
    "created_at",
    "updated_at",
)


def _db():
    conn = getattr(_local, "conn", None)
    if conn is None:
        if POSTGRES:
            import psycopg

            conn = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
        else:
            var = Path(os.environ.get("HRM2_VAR_DIR", "var"))
            conn = sqlite3.connect(var / "hrm2.sqlite3", check_same_thread=False)
        _local.conn = conn
    return conn


def _sql(query: str) -> str:
    return query.replace("?", "%s") if POSTGRES else query


def _uuid(value) -> str:
    return str(uuid.UUID(str(value))) if value else None


def _row(values) -> dict:
    item = dict(zip(KEYS, values, strict=True))
    for key in ("id", "position_id", "group_id"):
        item[key] = _uuid(item[key])
    item["warnings"] = (
        orjson.loads(item["warnings"]) if isinstance(item["warnings"], str) else item["warnings"]
    )
    return item


def _respond(start_response, status: str, body: dict) -> list[bytes]:
    payload = orjson.dumps(body, default=str)
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]


def list_resumes(query: dict) -> dict:
    page = int(query.get("page", ["1"])[0])
    page_size = int(query.get("page_size", ["20"])[0])
    where, params = "", []
    if "candidate_name" in query:
        where, params = "WHERE r.candidate_name LIKE ?", [f"%{query['candidate_name'][0]}%"]
    db = _db()
    total = db.execute(_sql(f"SELECT COUNT(*) FROM resumes_resume r {where}"), params).fetchone()[0]
    rows = db.execute(
        _sql(
            f"SELECT {LIST_COLUMNS} FROM resumes_resume r "
            f"{where} ORDER BY r.created_at DESC, r.id DESC "
            f"LIMIT ? OFFSET ?"
        ),
        [*params, page_size, (page - 1) * page_size],
    ).fetchall()
    return {
        "items": [_row(r) for r in rows],
        "total": total,
        "page": page,
        "page_size": page_size,
        "pages": math.ceil(total / page_size),
    }


def resume_detail(resume_id: str) -> dict | None:
    key = uuid.UUID(resume_id).hex if not POSTGRES else resume_id
    db = _db()
    row = db.execute(
        _sql(f"SELECT {LIST_COLUMNS}, r.content FROM resumes_resume r WHERE r.id = ?"),
        [key],
    ).fetchone()
    if row is None:
        return None
    item = _row(row[:-1]) | {"content": row[-1]}
    report = db.execute(
        _sql(
            "SELECT id, result FROM screening_screeningreport WHERE resume_id = ? "
            "AND status = 'completed' ORDER BY completed_at DESC LIMIT 1"
        ),
        [key],
    ).fetchone()
    item["report"] = (
        (orjson.loads(report[1]) if isinstance(report[1], str) else report[1]) if report else None
    )
    return item


def app(environ, start_response):
    if not environ.get("HTTP_AUTHORIZATION"):
        return _respond(start_response, "401 Unauthorized", {"success": False, "code": 401})
    path = environ["PATH_INFO"]
    if path == "/resume-screening/data/":
        data = list_resumes(parse_qs(environ.get("QUERY_STRING", "")))
    elif path.startswith("/resume-screening/reports/") and path.endswith("/detail/"):
        data = resume_detail(path.split("/")[3])
        if data is None:
            return _respond(start_response, "404 Not Found", {"success": False, "code": 404})
    else:
        return _respond(start_response, "404 Not Found", {"success": False, "code": 404})
    return _respond(
        start_response, "200 OK", {"success": True, "code": 200, "message": "成功", "data": data}
    )
