"""SLRT Konsol: the staff web app, served by the hub at ``/console/`` as static files.

The app talks to the hub only through ``/graphql`` with the caller's token; the hub serves
its files (``static/``), a public ``config.json`` that tells it how to sign in, and — in the
demo only — the ``masuk sebagai`` sign-in (``demo_sign_in.py``).
"""
