"""Closed-loop referrals (*rujukan*): partners, programmes, referrals and their history.

Plain Python over the database: no GraphQL or HTTP here (delivery lives in ``hub.delivery``).
"""
