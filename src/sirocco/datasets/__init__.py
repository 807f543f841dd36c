"""Public benchmark data sets, converted to FollowTheMoney entities."""
