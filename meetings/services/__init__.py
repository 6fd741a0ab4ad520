"""Writes for meetings. One module per sub-domain: rounds and bookings, help requests, agenda."""
