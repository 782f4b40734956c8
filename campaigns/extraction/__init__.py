"""The rules behind campaigns.extract, one module per kind of fact.

Import from campaigns.extract; these modules are its parts, not an API.
"""
