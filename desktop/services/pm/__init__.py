"""Preventive maintenance: schedules, due dates, the generator, planning, compliance."""
