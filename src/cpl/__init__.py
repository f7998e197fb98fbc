"""cpl: continuous professional learning records that belong to the learner."""
