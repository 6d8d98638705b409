"""The counter console's top bar: office and counter names, who is logged in, failed prints,
the link to the hub, the clock and the logout button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

from kiosk.ui.counter.reception import action_button, small_label


class TopBar(QFrame):
    """The bar across the top of the console (`QFrame#bar` in the console's style). Its labels
    and buttons are set by the window; `set_names` follows the office's settings."""

    def __init__(
        self,
        counter: int,
        office_name: str,
        counter_name: str,
        *,
        show_prints: Callable[[], None],
        logout: Callable[[], None],
    ) -> None:
        super().__init__()
        self.counter = counter
        self.setObjectName("bar")
        box = QHBoxLayout(self)
        box.setContentsMargins(16, 6, 16, 6)
        names = QVBoxLayout()
        names.setSpacing(0)
        self.office_label = small_label(office_name or "Bộ phận Một cửa", "office", wrap=False)
        names.addWidget(self.office_label)
        names.addWidget(small_label("Bộ phận Tiếp nhận và Trả kết quả", "hint", wrap=False))
        box.addLayout(names)
        box.addStretch(1)
        self.counter_label = small_label(f"QUẦY {counter}", "counter", wrap=False)
        self._show_counter_name(counter_name)
        box.addWidget(self.counter_label)
        box.addSpacing(24)
        self.staff_label = small_label("Chưa đăng nhập", "hint", wrap=False)
        box.addWidget(self.staff_label)
        box.addSpacing(16)
        self.prints_button = action_button("Bản in lỗi", show_prints, "alert")
        self.prints_button.setToolTip("Bản in chưa tới máy in: in lại hoặc bỏ (Ctrl+P)")
        self.prints_button.setVisible(False)
        box.addWidget(self.prints_button)
        box.addSpacing(16)
        self.link_label = small_label("● Đã kết nối", "hint-ok", wrap=False)
        box.addWidget(self.link_label)
        box.addSpacing(16)
        self.clock = small_label("", "clock", wrap=False)
        box.addWidget(self.clock)
        self.logout_button = action_button("Đăng xuất", logout, "secondary")
        self.logout_button.setVisible(False)
        box.addWidget(self.logout_button)

    def set_names(self, office_name: str, counter_name: str) -> None:
        """The admin changed the office's settings: new office and counter names."""
        self.office_label.setText(office_name or "Bộ phận Một cửa")
        self._show_counter_name(counter_name)

    def _show_counter_name(self, counter_name: str) -> None:
        if counter_name and counter_name != f"Quầy {self.counter}":
            self.counter_label.setText(f"QUẦY {self.counter} · {counter_name}")
        else:
            self.counter_label.setText(f"QUẦY {self.counter}")
