"""Helpers the tests share: real servers, browsers, windows and load generators."""
