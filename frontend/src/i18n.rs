//! 界面文字: every user-visible string of the SPA, in one table.
//!
//! Chinese (zh-CN) is the only language so far. A screen asks for [`t()`] and reads a field, so a
//! missing text is a compile error, and an English table can follow by filling a second
//! [`Texts`] and choosing it in [`t()`].

/// One language's texts.
#[derive(Debug)]
pub struct Texts {
    // ── the product ──────────────────────────────────────────────────────────────
    pub app_name: &'static str,
    pub app_short: &'static str,
    pub institute: &'static str,

    // ── shared words ─────────────────────────────────────────────────────────────
    pub loading: &'static str,
    pub retry: &'static str,
    pub empty: &'static str,
    pub ok: &'static str,
    pub saving: &'static str,
    pub submitting: &'static str,
    pub error_title: &'static str,
    pub manual: &'static str,
    pub under_construction: &'static str,
    pub under_construction_hint: &'static str,
    pub back_home: &'static str,
    pub skip_to_content: &'static str,

    // ── the frame ────────────────────────────────────────────────────────────────
    pub nav_main_label: &'static str,
    pub nav_side_label: &'static str,
    pub help: &'static str,
    pub logout: &'static str,
    pub logging_out: &'static str,
    pub menu: &'static str,

    // ── sections (top menus) and screens (left menus), in manual order ──────────
    pub section_equipment: &'static str,
    pub section_services: &'static str,
    pub section_enterprise: &'static str,
    pub section_system: &'static str,
    pub screen_equipment_overview: &'static str,
    pub screen_equipment_search: &'static str,
    pub screen_overdue: &'static str,
    pub screen_unqualified: &'static str,
    pub screen_inactive: &'static str,
    pub screen_expiring: &'static str,
    pub screen_applications: &'static str,
    pub screen_reports: &'static str,
    pub screen_notices: &'static str,
    pub screen_messages: &'static str,
    pub screen_payments: &'static str,
    pub screen_invoices: &'static str,
    pub screen_enterprise_info: &'static str,
    pub screen_account: &'static str,

    // ── session ──────────────────────────────────────────────────────────────────
    pub session_restoring: &'static str,
    pub redirecting: &'static str,

    // ── 登录 ─────────────────────────────────────────────────────────────────────
    pub login_title: &'static str,
    pub login_subtitle: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub username_placeholder: &'static str,
    pub password_placeholder: &'static str,
    pub login_submit: &'static str,
    pub login_pending: &'static str,
    pub login_need_username: &'static str,
    pub login_need_password: &'static str,
    pub login_many_failures: &'static str,
    pub register_entry: &'static str,
    pub register_soon: &'static str,
    pub login_footer: &'static str,

    // ── 强制修改密码 ─────────────────────────────────────────────────────────────
    pub force_change_title: &'static str,
    pub force_change_why: &'static str,
    pub force_change_logout: &'static str,

    // ── 账户信息维护 ─────────────────────────────────────────────────────────────
    pub tab_profile: &'static str,
    pub tab_security: &'static str,
    pub role: &'static str,
    pub organisation: &'static str,
    pub display_name: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    pub last_login: &'static str,
    pub optional: &'static str,
    pub profile_saved: &'static str,
    pub profile_need_name: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub confirm_password: &'static str,
    pub password_rule: &'static str,
    pub password_need_current: &'static str,
    pub password_mismatch: &'static str,
    pub password_changed: &'static str,
    pub password_form_has_errors: &'static str,

    // ── 帮助 ─────────────────────────────────────────────────────────────────────
    pub help_title: &'static str,
    pub help_intro: &'static str,
    pub faq_title: &'static str,
    pub faq: &'static [Faq],
    pub contacts_title: &'static str,
    pub contacts_platform_desk: &'static str,
    pub contacts_platform_desk_phone: &'static str,
    pub contacts_platform_desk_duty: &'static str,
    pub contacts_offices: &'static str,
    pub contacts_offices_duty: &'static str,
    pub contacts_address: &'static str,
    pub contacts_phone: &'static str,
    pub contacts_empty: &'static str,
    pub help_back_to_login: &'static str,

    // ── 404 ──────────────────────────────────────────────────────────────────────
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
}

/// 常见问题: one question of the help page, with its answers (one paragraph each).
#[derive(Debug)]
pub struct Faq {
    /// The anchor id, e.g. `faq-8-1`.
    pub id: &'static str,
    /// The manual's section number, e.g. `8.1`.
    pub section: &'static str,
    pub question: &'static str,
    pub symptom: &'static str,
    pub answers: &'static [&'static str],
}

/// The texts of the current language.
pub fn t() -> &'static Texts {
    &ZH
}

/// 简体中文.
pub static ZH: Texts = Texts {
    app_name: "湖州市特种设备企业服务平台",
    app_short: "特检企业服务平台",
    institute: "湖州市特种设备检测研究院",

    loading: "正在加载…",
    retry: "重试",
    empty: "暂无数据",
    ok: "确定",
    saving: "保存中…",
    submitting: "提交中…",
    error_title: "出错了",
    manual: "手册",
    under_construction: "功能建设中",
    under_construction_hint: "该功能正在建设，完成后将在此处提供。如需办理相关业务，请联系检验院办事大厅。",
    back_home: "返回首页",
    skip_to_content: "跳到正文",

    nav_main_label: "主菜单",
    nav_side_label: "功能菜单",
    help: "帮助",
    logout: "退出登录",
    logging_out: "正在退出…",
    menu: "菜单",

    section_equipment: "设备管理",
    section_services: "企业自助服务",
    section_enterprise: "企业信息维护",
    section_system: "系统管理",
    screen_equipment_overview: "设备总览",
    screen_equipment_search: "设备综合查询",
    screen_overdue: "超期设备查询",
    screen_unqualified: "不合格设备查询",
    screen_inactive: "非在用设备查询",
    screen_expiring: "即将到期设备",
    screen_applications: "网上报检",
    screen_reports: "报告领取查询",
    screen_notices: "检验意见通知书",
    screen_messages: "交流互动",
    screen_payments: "网上自助缴费",
    screen_invoices: "电子发票下载",
    screen_enterprise_info: "基本信息维护",
    screen_account: "账户信息维护",

    session_restoring: "正在恢复登录状态…",
    redirecting: "正在跳转…",

    login_title: "登录",
    login_subtitle: "企业网上告知、网上报检、电子报告、电子发票领取、查缴费用的一站式平台",
    username: "用户名",
    password: "密码",
    username_placeholder: "请输入用户名",
    password_placeholder: "请输入密码",
    login_submit: "登录",
    login_pending: "登录中…",
    login_need_username: "请输入用户名",
    login_need_password: "请输入密码",
    login_many_failures: "连续多次登录失败后，账号会被暂时锁定一段时间，到期自动解除。\
        如忘记密码，请致电湖州市特种设备检测研究院质量和科技管理部 0572-2523106 申请重置密码，\
        新密码将以短信发送至单位联系人手机。",
    register_entry: "企业账号申请注册入口",
    register_soon: "（建设中）",
    login_footer: "湖州市特种设备检测研究院",

    force_change_title: "请修改密码",
    force_change_why: "首次登录或密码被重置后须修改密码。修改成功后即可正常使用平台，其他设备上的登录将失效。",
    force_change_logout: "退出登录",

    tab_profile: "个人资料",
    tab_security: "账户安全",
    role: "角色",
    organisation: "所属单位",
    display_name: "姓名",
    phone: "手机号码",
    email: "电子邮箱",
    last_login: "上次登录",
    optional: "选填",
    profile_saved: "个人资料已保存",
    profile_need_name: "请输入姓名",
    current_password: "当前密码",
    new_password: "新密码",
    confirm_password: "确认新密码",
    password_rule: "8–128 个字符，不能是常见密码，不能与用户名或当前密码相同。",
    password_need_current: "请输入当前密码",
    password_mismatch: "两次输入的新密码不一致",
    password_changed: "密码已修改，其他设备上的登录已失效",
    password_form_has_errors: "请按提示修改后再提交",

    help_title: "帮助",
    help_intro: "使用企业服务平台时的常见问题和联系方式。",
    faq_title: "常见问题",
    faq: &[
        Faq {
            id: "faq-8-1",
            section: "8.1",
            question: "密码错误",
            symptom: "在登录页输入用户名和密码后，系统提示「用户名或密码错误，请重新输入」。",
            answers: &[
                "用户名和密码其中任何一个有误，系统都给出同样的提示（不会透露用户名是否存在）。\
                 请核对是否输错、漏输或字母大小写有误，再次尝试。",
                "连续多次失败后账号会被暂时锁定，到期自动解除。如仍无法登录，请致电湖州市特种设备检测研究院\
                 质量和科技管理部（0572-2523106）申请重置密码，新密码以短信发送至单位联系人手机；\
                 重置后首次登录须修改密码。",
                "如果单位联系人已变更，请按账号申请流程（手册 3.1 或 3.2）重新提交资料。",
            ],
        },
        Faq {
            id: "faq-8-2",
            section: "8.2",
            question: "界面显示问题",
            symptom: "页面显示不全、列表区域空白或找不到按钮。",
            answers: &[
                "平台支持所有当前版本的浏览器：Chrome、Edge、Firefox、Safari、360 浏览器极速模式等，\
                 电脑和手机均可使用，无需设置兼容性视图，也不再需要 IE 浏览器。",
                "如仍显示异常，请将浏览器更新到最新版本后刷新页面。",
            ],
        },
        Faq {
            id: "faq-8-3",
            section: "8.3",
            question: "无法搜索到设备",
            symptom: "在设备综合查询、超期设备、不合格设备、非在用设备或即将到期设备中查询，没有找到相关设备。",
            answers: &[
                "确认查询条件是否正确，如设备类别、设备编号、使用状态等，核对后重新查询。",
                "减少查询条件，例如只输入注册代码进行查询。",
                "进入「设备总览」，点击设备类别对应的数字，在设备明细中查找。",
            ],
        },
        Faq {
            id: "faq-8-4",
            section: "8.4",
            question: "检验报告、意见通知书没有签章",
            symptom: "下载的电子版检验报告或检验意见通知书打开后看不到签章。",
            answers: &[
                "请直接用当前版本的浏览器（Chrome、Edge、Firefox、Safari 等）打开 PDF 文件，\
                 或将 PDF 阅读器升级到最新版本后再打开。",
            ],
        },
        Faq {
            id: "faq-8-5",
            section: "8.5",
            question: "未查询到检验报告",
            symptom: "在报告领取查询中没有找到所需的检验报告。",
            answers: &[
                "本平台可查询往年的全部电子报告，不再只限本年度。请核对查询条件，如设备类别、注册代码、业务流水号等。",
                "检验费用未交清或报告尚未出具时无法下载报告；请先完成缴费，或联系办事大厅了解报告进度。",
            ],
        },
        Faq {
            id: "faq-8-6",
            section: "8.6",
            question: "电子发票无法显示、保存或打印",
            symptom: "打开电子发票时无法显示、保存或打印。",
            answers: &[
                "电子发票为 PDF 文件，当前版本的浏览器可以直接打开、保存和打印。",
                "如仍无法显示，请更新浏览器或 PDF 阅读器后重试，或换用其他浏览器打开下载链接。",
            ],
        },
    ],
    contacts_title: "联系方式",
    contacts_platform_desk: "质量和科技管理部",
    contacts_platform_desk_phone: "0572-2523106",
    contacts_platform_desk_duty: "负责企业服务平台问题解答和咨询，以及账号开通和密码重置。",
    contacts_offices: "办事大厅与检验站",
    contacts_offices_duty: "负责检验申报、报告领取等业务。",
    contacts_address: "地址",
    contacts_phone: "电话",
    contacts_empty: "暂无办事机构信息",
    help_back_to_login: "返回登录",

    not_found_title: "页面不存在",
    not_found_text: "您访问的页面不存在或已移动。",
};
