from workgroup.models.bodies import CouncilBody, Location
from workgroup.models.composition import MembersPage
from workgroup.models.meetings import AgendaItem, Attendance, MeetingIndexPage, MeetingPage
from workgroup.models.moderation import FourEyesApprovalTask
from workgroup.models.people import NOMINATION_DEADLINE, Faction, Member, NominationStatus
from workgroup.models.reports import HalfYear, ReportDue, ReportIndexPage, ReportPage
from workgroup.models.results import Consultation, ResultAttachment, ResultIndexPage, ResultPage
from workgroup.models.topics import TopicAreaIndexPage, TopicAreaPage

__all__ = [
    "NOMINATION_DEADLINE",
    "AgendaItem",
    "Attendance",
    "Consultation",
    "CouncilBody",
    "Faction",
    "FourEyesApprovalTask",
    "HalfYear",
    "Location",
    "MeetingIndexPage",
    "MeetingPage",
    "Member",
    "MembersPage",
    "NominationStatus",
    "ReportDue",
    "ReportIndexPage",
    "ReportPage",
    "ResultAttachment",
    "ResultIndexPage",
    "ResultPage",
    "TopicAreaIndexPage",
    "TopicAreaPage",
]
