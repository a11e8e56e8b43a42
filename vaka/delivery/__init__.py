"""Delivering notifications beyond the inbox: e-mail, webhooks, the daily digest."""
