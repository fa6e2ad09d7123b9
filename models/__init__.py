"""The truth: tables, enums, queries and the domain rules.

Every table is imported here so that Alembic and create_all see the whole schema.
"""

from models.admission import FailedVote
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.candidate_edit import CandidateEdit
from models.checkin import Checkin
from models.consent import Consent, DataRequest
from models.conversation import Conversation, GreetedChat, LiveKeyboard, ProcessedMessage
from models.dossier import AdmissionRecord, DossierEntry
from models.introducers import IntroducerRecord
from models.org import Organisation
from models.org_target import OrgTarget
from models.outbox import Outbox, ReminderRun
from models.party_class import Enrollment, PartyClass
from models.people import ChatLink, CodeAttempt, Invite, Person, RoleGrant
from models.reception import CandidateReception
from models.register_upload import RegisterUpload
from models.reports.submission import ReportSubmission
from models.review import MonthlyReview, SourceSurvey
from models.undo import UndoableAction
from models.roster import PartyMember

__all__ = [
    "AdmissionRecord", "AuditLog", "Candidate", "CandidateEdit", "CandidateReception", "ChatLink", "Checkin",
    "CodeAttempt",
    "Consent", "Conversation", "DataRequest", "DossierEntry", "Enrollment", "FailedVote", "GreetedChat",
    "IntroducerRecord", "Invite", "LiveKeyboard",
    "MonthlyReview", "OrgTarget", "Organisation", "Outbox", "PartyClass", "PartyMember", "Person",
    "ProcessedMessage", "RegisterUpload", "ReminderRun", "ReportSubmission", "RoleGrant", "SourceSurvey", "StageChange",
    "UndoableAction",
]
