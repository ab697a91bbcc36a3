"""Errors of the ESL door (kept apart so connection, facade and sender share them)."""
from __future__ import annotations


class EslUnavailable(Exception):
    """The node could not take the command(s); the caller should keep them and retry.

    `completed` holds the results of the commands answered before the failure, in order.
    """

    def __init__(self, node_name: str, reason: str, completed: list | None = None):
        super().__init__(f"FreeSWITCH node {node_name} unavailable: {reason}")
        self.node_name = node_name
        self.reason = reason
        self.completed = list(completed or [])
