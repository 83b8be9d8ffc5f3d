"""The referral fixtures (receiver, flow, register, worker) for the observability tests."""

from tests.referrals.conftest import flow, receiver, register, worker  # noqa: F401 - pytest fixtures
