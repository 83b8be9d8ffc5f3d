"""Education (Dapodik / PIP) connector."""
