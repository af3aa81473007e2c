"""What every area uses: the clock, the audit chain, numbering, attachments, trend files."""
