"""hoscase: complaint handling to the Housing Ombudsman's Complaint Handling Code (2024)."""

__version__ = "0.1.0"
CODE_EDITION = "2024"
