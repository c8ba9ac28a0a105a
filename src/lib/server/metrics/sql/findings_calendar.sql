-- On-time deadlines past the calendar's last year: computed on weekdays only (flagged).
SELECT d.missing_year, count(*) AS orders, min(d.pub_day) AS first_published_day
FROM order_deadlines d JOIN orders o USING (order_id)
WHERE d.beyond_calendar AND o.cancelled_at IS NULL
GROUP BY d.missing_year ORDER BY d.missing_year
