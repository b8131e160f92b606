"""Memo AI Coach: feedback on business memos, run like a production service."""

__version__ = "0.1.0"
