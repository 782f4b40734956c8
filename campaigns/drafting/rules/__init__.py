"""The rules behind campaigns.drafting.extract, one module per kind of fact.

Import from campaigns.drafting.extract; these modules are its parts, not an API.
"""
