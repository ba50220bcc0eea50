"""Statistics pages: the dashboard, its computation jobs, snapshots, exports and settings."""
