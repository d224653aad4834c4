"""Forms partners fill in words and names: fields, names, dates, and the submission they make."""
