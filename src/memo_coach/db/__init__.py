"""Database: engine, session factory, declarative base and Alembic migrations."""
