"""All models, imported in one place so Alembic and the app see the whole schema."""
from .accounts import Account, ApiToken, LoginAttempt, PasswordResetRequest, PasswordResetToken, RecoveryCode, User
from .audit import AuditEvent
from .books import AddressBook, Contact, book_access, book_contacts
from .conferences import (Conference, ConferenceAttendance, ConferenceEntryFailure, ConferenceParticipant,
                          ConferenceSession)
from .devices import Device, DeviceContact, DeviceLine, ProvisioningFailure
from .extensions import Extension, Softphone
from .fax import FaxJob, ReceivedFax
from .live import ActiveChannel, NodeStatus, ParkedCall, PendingFsCommand, Registration
from .mail import MailDelivery
from .numbers import (BlacklistRule, CallVersion, Gateway, PhoneNumber, ScheduleException, ScheduleRange, Treatment,
                      WelcomeMenu, WelcomeMenuKey)
from .voicemail import Greeting, Mailbox, VoicemailMessage

__all__ = [
    "Account", "ApiToken", "LoginAttempt", "PasswordResetRequest", "PasswordResetToken", "RecoveryCode", "User",
    "AuditEvent",
    "Conference", "ConferenceParticipant", "ConferenceSession", "ConferenceAttendance", "ConferenceEntryFailure",
    "AddressBook", "Contact", "Device", "DeviceContact", "DeviceLine", "ProvisioningFailure", "book_access", "book_contacts",
    "Extension", "Softphone", "FaxJob", "ReceivedFax",
    "MailDelivery", "ActiveChannel", "NodeStatus", "ParkedCall", "PendingFsCommand", "Registration",
    "BlacklistRule", "CallVersion", "Gateway", "PhoneNumber", "ScheduleException", "ScheduleRange",
    "Treatment", "WelcomeMenu", "WelcomeMenuKey", "Greeting", "Mailbox", "VoicemailMessage",
]
