"""The control-room display: a full-screen, read-only window with rotating pages."""
