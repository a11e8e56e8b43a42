"""The web pages for caseworkers and supervisors: server-rendered, Swedish first, served by
Vaka itself, calling the same use cases as the API."""
