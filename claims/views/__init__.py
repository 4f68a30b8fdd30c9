"""The reviewer's workbench, split by concern; URLs in claims/urls.py (namespace `claims`)."""
