"""The one HTTP contract of HRM2: envelope, errors, pagination, JWT auth and the NinjaAPI.

Domain apps build routers and raise ``ApiError`` subclasses; nothing outside this package
builds an envelope, a paginated body or an error response by hand.
"""
