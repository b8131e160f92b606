"""Support and troubleshooting: tickets, doctor, support bundle, log search and the scheduled reviews."""
