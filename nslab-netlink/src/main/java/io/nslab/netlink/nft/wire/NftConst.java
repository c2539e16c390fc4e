package io.nslab.netlink.nft.wire;

/**
 * Numbers from the uapi headers linux/netfilter/nfnetlink.h and
 * linux/netfilter/nf_tables.h (every enum there counts from 0, UNSPEC first),
 * grouped per kernel enum.
 */
public final class NftConst {
    private NftConst() {}

    /** nfnetlink: subsystem in the high byte of nlmsg_type, batch delimiters. */
    public static final int NFNL_SUBSYS_NFTABLES = 10;
    public static final int NFNL_MSG_BATCH_BEGIN = 0x10, NFNL_MSG_BATCH_END = 0x11;
    public static final int NFNETLINK_V0 = 0;

    /** enum nf_tables_msg_types. */
    public static final int NFT_MSG_NEWTABLE = 0, NFT_MSG_GETTABLE = 1, NFT_MSG_DELTABLE = 2,
            NFT_MSG_NEWCHAIN = 3, NFT_MSG_GETCHAIN = 4, NFT_MSG_DELCHAIN = 5,
            NFT_MSG_NEWRULE = 6, NFT_MSG_GETRULE = 7, NFT_MSG_DELRULE = 8,
            NFT_MSG_NEWSET = 9, NFT_MSG_GETSET = 10, NFT_MSG_DELSET = 11,
            NFT_MSG_NEWSETELEM = 12, NFT_MSG_GETSETELEM = 13, NFT_MSG_DELSETELEM = 14,
            NFT_MSG_NEWGEN = 15, NFT_MSG_GETGEN = 16;

    /** nlmsg_type of an nf_tables message. */
    public static int type(int msg) {
        return (NFNL_SUBSYS_NFTABLES << 8) | msg;
    }

    /** enum nft_table_attributes. */
    public static final int NFTA_TABLE_NAME = 1, NFTA_TABLE_FLAGS = 2, NFTA_TABLE_USE = 3, NFTA_TABLE_HANDLE = 4;

    /** enum nft_chain_attributes. */
    public static final int NFTA_CHAIN_TABLE = 1, NFTA_CHAIN_HANDLE = 2, NFTA_CHAIN_NAME = 3, NFTA_CHAIN_HOOK = 4,
            NFTA_CHAIN_POLICY = 5, NFTA_CHAIN_USE = 6, NFTA_CHAIN_TYPE = 7, NFTA_CHAIN_COUNTERS = 8, NFTA_CHAIN_FLAGS = 10;

    /** enum nft_hook_attributes. */
    public static final int NFTA_HOOK_HOOKNUM = 1, NFTA_HOOK_PRIORITY = 2, NFTA_HOOK_DEV = 3;

    /** enum nft_rule_attributes. */
    public static final int NFTA_RULE_TABLE = 1, NFTA_RULE_CHAIN = 2, NFTA_RULE_HANDLE = 3, NFTA_RULE_EXPRESSIONS = 4,
            NFTA_RULE_POSITION = 6, NFTA_RULE_USERDATA = 7;

    /** enum nft_set_attributes. */
    public static final int NFTA_SET_TABLE = 1, NFTA_SET_NAME = 2, NFTA_SET_FLAGS = 3, NFTA_SET_KEY_TYPE = 4,
            NFTA_SET_KEY_LEN = 5, NFTA_SET_DATA_TYPE = 6, NFTA_SET_DATA_LEN = 7, NFTA_SET_POLICY = 8, NFTA_SET_DESC = 9,
            NFTA_SET_ID = 10, NFTA_SET_USERDATA = 13, NFTA_SET_HANDLE = 16;

    /** enum nft_set_desc_attributes, enum nft_set_field_attributes. */
    public static final int NFTA_SET_DESC_SIZE = 1, NFTA_SET_DESC_CONCAT = 2, NFTA_SET_FIELD_LEN = 1;

    /** enum nft_set_flags (bits). */
    public static final int NFT_SET_ANONYMOUS = 0x1, NFT_SET_CONSTANT = 0x2, NFT_SET_INTERVAL = 0x4, NFT_SET_MAP = 0x8,
            NFT_SET_TIMEOUT = 0x10, NFT_SET_EVAL = 0x20, NFT_SET_OBJECT = 0x40, NFT_SET_CONCAT = 0x80;

    /** enum nft_set_elem_list_attributes. */
    public static final int NFTA_SET_ELEM_LIST_TABLE = 1, NFTA_SET_ELEM_LIST_SET = 2, NFTA_SET_ELEM_LIST_ELEMENTS = 3;

    /** enum nft_set_elem_attributes. */
    public static final int NFTA_SET_ELEM_KEY = 1, NFTA_SET_ELEM_DATA = 2, NFTA_SET_ELEM_FLAGS = 3;

    /** enum nft_list_attributes, enum nft_expr_attributes. */
    public static final int NFTA_LIST_ELEM = 1, NFTA_EXPR_NAME = 1, NFTA_EXPR_DATA = 2;

    /** enum nft_data_attributes, enum nft_verdict_attributes. */
    public static final int NFTA_DATA_VALUE = 1, NFTA_DATA_VERDICT = 2, NFTA_VERDICT_CODE = 1, NFTA_VERDICT_CHAIN = 2;

    /** Verdict codes: NF_DROP, NF_ACCEPT (netfilter.h) and enum nft_verdicts. */
    public static final int NF_DROP = 0, NF_ACCEPT = 1, NFT_CONTINUE = -1, NFT_BREAK = -2, NFT_JUMP = -3, NFT_GOTO = -4,
            NFT_RETURN = -5;

    /** enum nft_registers: the verdict register, four 128-bit ones, then sixteen 32-bit views of them. */
    public static final int NFT_REG_VERDICT = 0, NFT_REG_1 = 1, NFT_REG_2 = 2, NFT_REG32_00 = 8;

    /** enum nfproto (linux/netfilter.h): nfgenmsg.nfgen_family of nf_tables messages. */
    public static final int NFPROTO_UNSPEC = 0, NFPROTO_INET = 1, NFPROTO_IPV4 = 2, NFPROTO_ARP = 3, NFPROTO_NETDEV = 5,
            NFPROTO_BRIDGE = 7, NFPROTO_IPV6 = 10;

    /** Netfilter hook numbers of the ip/ip6/inet families (enum nf_inet_hooks). */
    public static final int NF_INET_PRE_ROUTING = 0, NF_INET_LOCAL_IN = 1, NF_INET_FORWARD = 2, NF_INET_LOCAL_OUT = 3,
            NF_INET_POST_ROUTING = 4;

    /** userdata TLV types nftables (libnftnl's udata) writes into rules. */
    public static final int NFTNL_UDATA_RULE_COMMENT = 0;
}
