"""Telling people: which event tells whom what, and delivering it by e-mail and webhook."""
