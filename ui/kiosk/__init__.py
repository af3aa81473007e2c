"""The shop-floor kiosk: requests from anyone."""
