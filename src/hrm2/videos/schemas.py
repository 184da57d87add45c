from uuid import UUID

from ninja import Schema
from pydantic import ConfigDict


class LinkIn(Schema):
    model_config = ConfigDict(extra="forbid")
    resume_data_id: UUID
    video_analysis_id: UUID


class UnlinkIn(Schema):
    model_config = ConfigDict(extra="forbid")
    resume_data_id: UUID


class LinkOut(Schema):
    resume_data_id: UUID
    video_analysis_id: UUID
    candidate_name: str
    video_name: str


class UnlinkOut(Schema):
    resume_data_id: UUID
    disconnected_video_id: UUID
    candidate_name: str
    video_name: str
