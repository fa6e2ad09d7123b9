"""Settings from the environment and `.env` (every setting is listed in .env.example)."""

from pathlib import Path

from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_MIN_LENGTH = 16


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHIBO_", env_file=".env", extra="ignore")

    database_url: str = Field(default="sqlite+aiosqlite:///./data/chibo.sqlite3")
    timezone: str = "Asia/Ho_Chi_Minh"
    telegram_token: str | None = None
    # The Telegram Bot API server (tests point it at a fake one on 127.0.0.1).
    telegram_base_url: str = "https://api.telegram.org"
    # Telegram's limits: about 30 messages a second in all, one a second to one chat.
    telegram_rate: float = 30.0
    telegram_rate_per_chat: float = 1.0
    zalo_token: str | None = None
    zalo_base_url: str = "https://bot-api.zaloplatforms.com"
    # Zalo publishes no rate limit: a conservative pace, messages per second in all and to one chat.
    zalo_rate: float = 5.0
    zalo_rate_per_chat: float = 1.0
    # Zalo's plan: messages a calendar month (Basic, as reported: 3,000; 0: no limit), and the
    # share used at which the operator is warned. A spent quota holds reminders until the month turns.
    zalo_monthly_quota: int = 3000
    zalo_quota_warn_percent: int = 80
    public_url: str | None = None
    webhook_secret: str | None = None
    # The key of chibo's keyed hashes (invite codes are stored as HMAC-SHA256 with it, so that a
    # copied database does not reveal them). At least 16 characters; keep it out of the database.
    secret: str | None = None
    # The key that signs the report pages' links for Zalo (bot/report_pages.py); with public_url,
    # /baocao on Zalo answers with a link. At least 16 characters; changing it voids the links.
    link_secret: str | None = None
    # Hours a report page's link works.
    report_link_hours: int = Field(default=24, ge=1, le=24 * 30)
    # Where the webhook server listens (behind the HTTPS proxy that CHIBO_PUBLIC_URL names).
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    data_dir: str = "./data"
    # Several processes on one PostgreSQL: seconds between a standby process's tries to take over
    # the scheduled jobs (the leader's lock is freed at once when it stops or dies).
    leader_check_seconds: float = Field(default=20, gt=0, le=60)
    # A conversation left silent this long expires.
    conversation_timeout_hours: int = 24
    # Typed invite codes: how long they live, and how many wrong tries lock a chat out.
    invite_days: int = 7
    invite_max_failures: int = 5
    invite_lockout_minutes: int = 15
    page_size: int = 15
    # The locality's own days off and swapped working Saturdays, on top of the national ones
    # (the `holidays` package): dates dd/mm/yyyy separated by commas.
    days_off: str = ""
    working_days: str = ""
    log_level: str = "INFO"
    # Years after which a person who left the pipeline (removed, transferred) is anonymised
    # (models/retention.py; Law 91/2025 keeps data no longer than the purpose needs).
    retention_years: int = Field(default=5, ge=1, le=50)

    @field_validator("secret", "link_secret")
    @classmethod
    def _long_enough(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value and len(value) < SECRET_MIN_LENGTH:
            raise ValueError(f"CHIBO_{info.field_name.upper()} must have {SECRET_MIN_LENGTH} characters or more")
        return value or None

    def invite_key(self) -> bytes | None:
        """The key of the invite codes' hashes; None while CHIBO_SECRET is not set."""
        return self.secret.encode() if self.secret else None

    def sqlite_path(self) -> Path | None:
        prefix = "sqlite+aiosqlite:///"
        if self.database_url.startswith(prefix):
            return Path(self.database_url[len(prefix):])
        return None
