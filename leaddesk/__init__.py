"""LeadDesk: an offline desktop lead tracker for small sales teams."""

__version__ = "0.1.0"
