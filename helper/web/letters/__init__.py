"""Get it taken down: the plan, the letters, the details they need, and the tracker."""
