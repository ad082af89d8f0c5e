"""Digitaliseringsindex and every figure behind it, computed deterministically from tables."""
