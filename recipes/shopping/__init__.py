"""Shopping lists: merged amounts from recipes and plans, aisles, staples and live sync."""
