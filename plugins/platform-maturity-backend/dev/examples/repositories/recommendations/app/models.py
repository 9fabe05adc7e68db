from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class CoPurchase(Base):
    __tablename__ = "co_purchases"

    product_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    other_product_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
