"""Counselor-assisted sessions: the mode, consent before any picture, notes, the session summary and
the hand-over, in the web app."""
