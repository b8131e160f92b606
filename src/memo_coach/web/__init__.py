"""The HTTP doors: the JSON API, the health endpoints and (later) the HTML pages."""
