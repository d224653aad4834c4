"""The server: the app, its state and settings, uvicorn, headers, logs, errors, the gate process.

May import: graph (every stage), service.sandbox, service.limits, service.accounts, service.api,
service.pages (the app includes their routers).
"""
