"""Helpers of the test suite: personas, factories, local servers, the worker, the browser."""
