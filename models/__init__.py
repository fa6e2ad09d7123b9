"""The truth: tables, enums, queries and the domain rules.

Every table is imported here so that Alembic and create_all see the whole schema.
"""

from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.conversation import Conversation, ProcessedMessage
from models.org import Organisation
from models.people import ChatLink, CodeAttempt, Invite, Person, RoleGrant

__all__ = [
    "AuditLog", "Candidate", "ChatLink", "CodeAttempt", "Conversation", "Invite", "Organisation",
    "Person", "ProcessedMessage", "RoleGrant", "StageChange",
]
