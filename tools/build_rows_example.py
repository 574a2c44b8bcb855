"""Build examples/rows/shops.xlsx: ten client shops, one training agreement each.

Run from the repository root:  python tools/build_rows_example.py

Each row overrides keys of examples/training_agreement_offline.yaml (the
provider, the programme, the schedule and the clauses stay as the base says):

    contractgen generate examples/training_agreement_offline.yaml --rows examples/rows/shops.xlsx -o out/

The base is named by its own path, so its ``include: shared/…`` is resolved
in examples/, beside it; the spreadsheet includes nothing.  The cells are
what HR types in Excel: dates as date cells, amounts as number cells with a
thousands format, phone numbers and bank accounts as text (a number keeps
only 15 digits and no leading zero).  The instalments are 40% / 40% / 20% of
the total, worked out here in Decimal, and the liability cap is the last
instalment.  The file is byte-stable: fixed document properties, fixed zip
timestamps, so building twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from contractgen.types import check_credit_code  # noqa: E402
from contractgen.writers.determinism import normalise_zip  # noqa: E402

TARGET = ROOT / "examples" / "rows" / "shops.xlsx"
FIXED_TIME = dt.datetime(2026, 11, 30, 9, 0, 0)
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
SPLIT = (Decimal("0.4"), Decimal("0.4"))  # the last instalment takes the rest
CENT = Decimal("0.01")

# (header, width, number format or None)
COLUMNS = [
    ("contract_no", 17, TEXT_FORMAT),
    ("signing.date", 12, DATE_FORMAT),
    ("parties.client.name", 34, None),
    ("parties.client.credit_code", 21, TEXT_FORMAT),
    ("parties.client.address", 44, None),
    ("parties.client.legal_representative", 10, None),
    ("parties.client.contact", 10, None),
    ("parties.client.phone", 15, TEXT_FORMAT),
    ("parties.client.email", 26, None),
    ("parties.client.bank.bank", 24, None),
    ("parties.client.bank.account", 26, TEXT_FORMAT),
    ("training.trainees.count", 8, "0"),
    ("training.background", 50, None),
    ("fees.total", 12, MONEY_FORMAT),
    ("fees.instalments[0].amount", 12, MONEY_FORMAT),
    ("fees.instalments[1].amount", 12, MONEY_FORMAT),
    ("fees.instalments[2].amount", 12, MONEY_FORMAT),
    ("liability.cap", 12, MONEY_FORMAT),
    ("#备注", 20, None),
]

# contract_no, signing date, name, credit code, address, legal representative, contact,
# phone, e-mail, bank, account, trainees, background, total, note
SHOPS = [
    ("ZXPX-2026-101", dt.date(2026, 12, 1), "杭州禾木家居用品有限公司", "91330106MA2KC3R5WW",
     "浙江省杭州市西湖区天目山路 159 号现代国际大厦 B 座 806 室", "周立群", "沈佳怡", "0571-8851 2367",
     "hr@hemujiaju.cn", "中国建设银行杭州西湖支行", "3305 0161 6270 0901 2345", 15,
     "2026 年第三季度店铺售后投诉率为 2.6%，首次响应时间平均 45 秒。", "36000.00", "天猫旗舰店"),
    ("ZXPX-2026-102", dt.date(2026, 12, 2), "杭州滨江暖屋电器有限公司", "91330108MA28D7LX1T",
     "浙江省杭州市滨江区长河路 475 号智汇中心 2 幢 1101 室", "吴建锋", "许晓冉", "13967112345",
     "kefu@nuanwu-dq.com", "招商银行杭州滨江支行", "5719 0832 1066 802", 20,
     "大促期间咨询量较平日增长一倍，售前询单转化率由 38% 降至 31%。", "48000.00", ""),
    ("ZXPX-2026-103", dt.date(2026, 12, 3), "杭州余杭青禾厨具电子商务有限公司", "91330110MA2H9E4T63",
     "浙江省杭州市余杭区文一西路 998 号海创园 18 幢 502 室", "钱永康", "范雨桐", "0571-8623 5510",
     "service@qinghechuju.cn", "中国工商银行杭州余杭支行", "1202 0262 0900 0456 781", 22,
     "新品空气炸锅上线后，操作咨询占售后会话的四成。", "52800.00", ""),
    ("ZXPX-2026-104", dt.date(2026, 12, 4), "杭州拱墅优品生活电子商务有限公司", "91330105MA27WQ8N3N",
     "浙江省杭州市拱墅区莫干山路 1418 号上城国际 3 号楼 1705 室", "孙海燕", "陆子豪", "0571-8807 4412",
     "hr@youpinshenghuo.cn", "杭州银行拱墅支行", "3301 0401 6000 1234 56", 16,
     "店铺差评中因客服回复不当引发的占 27%。", "38850.50", "总额含 0.50 元尾差，已与甲方确认"),
    ("ZXPX-2026-105", dt.date(2026, 12, 7), "杭州上城小满家电有限公司", "91330102MA2CF5J0XW",
     "浙江省杭州市上城区秋涛路 258 号 1 幢 9 楼", "郑国栋", "何思琪", "13758126688",
     "xiaoman@xiaomanjd.com", "浙商银行杭州上城支行", "3310 0100 1012 0100 3456", 25,
     "客服团队新人占比过半，平台违规判罚一季度发生 3 次。", "60000.00", ""),
    ("ZXPX-2026-106", dt.date(2026, 12, 8), "杭州萧山鲜焙厨房电器有限公司", "91330109MA2J3PU7K2",
     "浙江省杭州市萧山区市心北路 1999 号宝盛世纪中心 2 幢 1203 室", "冯志远", "韩梦洁", "0571-8277 6091",
     "hr@xianbei-kitchen.cn", "中国农业银行杭州萧山支行", "1907 1101 0400 3355 7", 18,
     "售后退货原因中“与描述不符”占 35%，多因客服介绍参数有误。", "45600.00", ""),
    ("ZXPX-2026-107", dt.date(2026, 12, 9), "义乌市晨光日用百货电子商务有限公司", "91330782MA2E8GL4BX",
     "浙江省义乌市稠江街道杨村路 300 号电商大厦 7 楼", "王德明", "楼佳慧", "0579-8531 2278",
     "chenguang@cgrybh.cn", "义乌农村商业银行稠江支行", "2010 0012 3456 789", 30,
     "跨境与国内店铺共用客服团队，夜间值班响应时间平均 90 秒。", "72000.00", "两个店铺共用一份协议"),
    ("ZXPX-2026-108", dt.date(2026, 12, 10), "宁波北仑海之味厨电有限公司", "91330206MA2AH6D9QT",
     "浙江省宁波市北仑区新碶街道明州路 1088 号 4 幢 602 室", "林海波", "戴雅婷", "0574-8689 3317",
     "hr@haizhiwei-cd.com", "宁波银行北仑支行", "5101 0122 0001 2345 6", 27,
     "直播间咨询高峰时段排队超过 200 人，漏接率 8%。", "64800.00", ""),
    ("ZXPX-2026-109", dt.date(2026, 12, 14), "嘉兴南湖暖宝小家电有限公司", "91330402MA29T3Y5MU",
     "浙江省嘉兴市南湖区中环南路 1369 号智慧产业园 5 幢 301 室", "陈丽华", "朱晨阳", "18857356021",
     "kefu@nuanbao-xjd.cn", "嘉兴银行南湖支行", "8001 2345 6789 0123", 17,
     "冬季取暖器销售旺季前需完成全员培训，去年同期投诉率 2.9%。", "41250.75", "总额为含税报价"),
    ("ZXPX-2026-110", dt.date(2026, 12, 18), "绍兴越城和美家用电器有限公司", "91330602MA2BR7K8C9",
     "浙江省绍兴市越城区解放北路 488 号和美大厦 12 楼", "马晓东", "俞欣然", "0575-8512 9906",
     "hr@hemeijiadian.com", "绍兴银行越城支行", "1100 0023 4567 8901 2", 35,
     "三家门店与线上店铺统一客服标准，客户满意度目标由 88% 提升至 95%。", "84000.00", ""),
]


def instalments(total: Decimal) -> list[Decimal]:
    """40% / 40% of the total rounded down to the fen; the last instalment takes the rest."""
    parts = [(total * share).quantize(CENT, rounding="ROUND_DOWN") for share in SPLIT]
    return [*parts, total - sum(parts)]


def row_values(shop: tuple) -> list:
    *head, count, background, total_text, note = shop
    total = Decimal(total_text)
    amounts = instalments(total)
    assert sum(amounts) == total
    check_credit_code(head[3])  # every code carries a valid GB 32100 check character
    money = [float(x) for x in (total, *amounts, amounts[-1])]  # what Excel stores: binary floats
    return [*head, count, background, *money, note or None]


def build() -> bytes:
    """The workbook's bytes: the same every time."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "客户店铺"
    sheet.append([header for header, _, _ in COLUMNS])
    for shop in SHOPS:
        sheet.append(row_values(shop))
    _format(sheet)
    workbook.properties.creator = "contractgen"
    workbook.properties.title = "培训委托协议书：客户店铺"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    return normalise_zip(_save(workbook))


def _format(sheet) -> None:
    for index, (_, width, number_format) in enumerate(COLUMNS, start=1):
        letter = sheet.cell(1, index).column_letter
        sheet.column_dimensions[letter].width = width
        sheet.cell(1, index).font = Font(bold=True)
        for row in range(2, len(SHOPS) + 2):
            cell = sheet.cell(row, index)
            cell.alignment = Alignment(vertical="top", wrap_text=index == 13)
            if number_format:
                cell.number_format = number_format
    sheet.freeze_panes = "B2"


def _save(workbook: Workbook) -> bytes:
    """openpyxl's own save stamps the current time as 'modified'; its writer does not."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return buffer.getvalue()


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(build())
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
