"""The reviews of the operating schedule: daily, weekly and monthly reports, each one a scheduled task
whose report is kept in its task run and shown on the console (/ops/reviews)."""
