"""Printing: thermal tickets and receipts (raster ESC/POS), print jobs, printer checks.

Public face:
- `thermal.layouts`: `TicketData`, `ReceiptSlipData`, `render_ticket`, `render_receipt_slip`
- `thermal.escpos`: `printer_model`, `encode_slip`; `thermal.decode`: `decode`
- `thermal.connections`: `parse_printer_uri`, `open_connection`, `deliver`
- `thermal.status`: `read_status`, `check_ready`; errors in `errors`
- `jobs`: `submit`, `run_job`, `print_job`, `retry`, `failed_jobs`, `mark_sent`, `mark_failed`
- `check`: `print_test`, `register_print_test`
"""
