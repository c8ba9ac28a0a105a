-- Volume: every order, dated by the chosen milestone.
SELECT * FROM od
