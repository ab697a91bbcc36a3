"""Blacklist (BL-1..3): an account's rules, listed, saved and cached for calls (rules), and the
matching itself as pure data (match).
"""
