"""The words: Jinja2 templates, Vietnamese first (vi/)."""
