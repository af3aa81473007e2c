"""The Alarms page: condition alarms with acknowledge, and the condition rules with replay."""
