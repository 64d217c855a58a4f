// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {ERC20Pausable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Pausable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/**
 * @title PortfolioToken (PTF)
 * @notice The portfolio's cross-domain loyalty token. It mirrors an off-chain ledger (the source of
 * truth): every reward and every redemption carries the ledger transaction's id (`txId`) and is
 * applied at most once, so a relayer can retry freely.
 * @dev Reward rules (the TypeScript twin lives in src/rewards/rules/):
 * - AI bonus: `amount * 5 / 100` when the action was AI-optimised.
 * - Cross-domain milestone: when a reward is the user's first on a domain and makes its count of
 *   rewarded domains reach k >= 3, the user also receives `min(reward * k / 10, 1,000 PTF)` once,
 *   where `reward` includes the AI bonus. The count never decreases, so each k pays at most once.
 * - Cap: no mint may take the total supply above 1,000,000,000 PTF (`ERC20ExceededCap`).
 */
contract PortfolioToken is ERC20Capped, ERC20Pausable, AccessControl {
    /// @notice May distribute rewards and mirror redemptions (the relayer's key).
    bytes32 public constant DOMAIN_ADMIN_ROLE = keccak256("DOMAIN_ADMIN_ROLE");
    /// @notice May record AI optimisation scores.
    bytes32 public constant AI_ORACLE_ROLE = keccak256("AI_ORACLE_ROLE");

    /// @notice Hard cap on the total supply: 1,000,000,000 PTF (18 decimals).
    uint256 public constant MAX_SUPPLY = 1_000_000_000 ether;
    /// @notice Share of the cap minted to the treasury at construction, in percent.
    uint256 public constant TREASURY_SHARE_PERCENT = 20;
    /// @notice Bonus on an AI-optimised reward, in percent of the base amount.
    uint256 public constant AI_BONUS_PERCENT = 5;
    /// @notice Distinct rewarded domains from which the cross-domain milestone pays.
    uint256 public constant MILESTONE_MIN_DOMAINS = 3;
    /// @notice Largest single milestone bonus: 1,000 PTF.
    uint256 public constant MILESTONE_BONUS_MAX = 1_000 ether;

    /// @notice One reward of a batch; the fields mean the same as distributeDomainRewards' arguments.
    struct Reward {
        address user;
        bytes32 domainId;
        uint256 amount;
        bool aiOptimized;
        bytes32 txId;
    }

    /// @notice A registered domain; its id is keccak256 of its host.
    struct Domain {
        bool active;
        string host;
    }

    /// @dev Packed in one slot: amounts stay far below 2^112 because the supply is capped at ~2^90.
    struct Account {
        uint112 earned;
        uint112 redeemed;
        uint32 rewardedDomains;
    }

    /// @notice Domains by id (keccak256 of the host).
    mapping(bytes32 domainId => Domain) public domains;
    /// @notice Whether a ledger transaction id was applied (reward or redemption).
    mapping(bytes32 txId => bool) public processed;
    /// @notice Everything a user earned on a domain (base, AI bonus and milestone bonuses it triggered).
    mapping(address user => mapping(bytes32 domainId => uint256)) public domainRewardsOf;
    /// @notice How many AI optimisations were recorded for a user (the scores are in the events).
    mapping(address user => uint256) public aiOptimizationCount;

    mapping(address user => Account) private _accounts;

    /// @notice A zero address was given where an account is required.
    error ZeroAddress();
    /// @notice A reward or redemption of zero was requested.
    error ZeroAmount();
    /// @notice A zero txId was given; every ledger transaction has a non-zero id.
    error ZeroTxId();
    /// @notice A batch without rewards.
    error EmptyBatch();
    /// @notice A single reward larger than the whole cap (it could never be minted).
    error AmountAboveCap(uint256 amount, uint256 cap);
    /// @notice The txId was already applied; nothing was minted or burned again.
    error TxAlreadyProcessed(bytes32 txId);
    /// @notice The domain is unknown or deactivated.
    error DomainNotActive(bytes32 domainId);
    /// @notice registerDomain on a domain that is already active.
    error DomainAlreadyActive(bytes32 domainId);
    /// @notice The id is not keccak256 of the host, or the host is empty.
    error InvalidDomain(bytes32 domainId, string host);
    /// @notice A redemption above what the user earned and has not yet redeemed.
    error RedemptionExceedsRedeemable(address user, uint256 amount, uint256 redeemable);

    /// @notice A domain was registered or re-activated.
    event DomainRegistered(bytes32 indexed domainId, string host);
    /// @notice A domain stopped accepting rewards and redemptions.
    event DomainDeactivated(bytes32 indexed domainId);
    /// @notice A reward was minted: `baseAmount + aiBonus + milestoneBonus` went to `user`.
    event RewardDistributed(
        address indexed user,
        bytes32 indexed domainId,
        bytes32 indexed txId,
        uint256 baseAmount,
        uint256 aiBonus,
        uint256 milestoneBonus
    );
    /// @notice The reward made the user's rewarded-domain count reach `domainCount` (>= 3).
    event CrossDomainMilestone(address indexed user, uint256 domainCount, uint256 bonus);
    /// @notice A batch entry whose txId was already applied was skipped.
    event RewardSkipped(bytes32 indexed txId);
    /// @notice Earned tokens were burned to mirror a redemption booked in the ledger.
    event Redeemed(address indexed user, bytes32 indexed domainId, bytes32 indexed txId, uint256 amount);
    /// @notice The AI oracle recorded a user's optimisation scores.
    event AIOptimizationRecorded(
        address indexed user,
        uint256 performanceScore,
        uint256 engagementBoost,
        uint256 count
    );

    /**
     * @param admin Receives DEFAULT_ADMIN_ROLE (domains, roles, pause).
     * @param treasury Receives 20 % of the cap.
     */
    constructor(address admin, address treasury) ERC20("PortfolioToken", "PTF") ERC20Capped(MAX_SUPPLY) {
        if (admin == address(0) || treasury == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _mint(treasury, (MAX_SUPPLY * TREASURY_SHARE_PERCENT) / 100);
    }

    // ---- Domains -------------------------------------------------------------------------------

    /**
     * @notice Registers (or re-activates) a domain. `domainId` must be keccak256 of `host`, so the
     * ledger and the chain derive the same id from the same canonical (lower-case) host.
     */
    function registerDomain(bytes32 domainId, string calldata host) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bytes(host).length == 0 || keccak256(bytes(host)) != domainId) revert InvalidDomain(domainId, host);
        Domain storage domain = domains[domainId];
        if (domain.active) revert DomainAlreadyActive(domainId);
        domain.active = true;
        domain.host = host;
        emit DomainRegistered(domainId, host);
    }

    /// @notice Stops rewards and redemptions on a domain; users keep what they earned there.
    function deactivateDomain(bytes32 domainId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Domain storage domain = domains[domainId];
        if (!domain.active) revert DomainNotActive(domainId);
        domain.active = false;
        emit DomainDeactivated(domainId);
    }

    // ---- Rewards -------------------------------------------------------------------------------

    /**
     * @notice Mints one reward (plus its AI and milestone bonuses) to `user`.
     * @dev Reverts TxAlreadyProcessed on a second call with the same txId; all-or-nothing on the cap.
     * @param amount Base reward in wei, before bonuses.
     * @param txId The ledger transaction's id (its uuid left-padded to 32 bytes).
     */
    function distributeDomainRewards(
        address user,
        bytes32 domainId,
        uint256 amount,
        bool aiOptimized,
        bytes32 txId
    ) external onlyRole(DOMAIN_ADMIN_ROLE) whenNotPaused {
        _requireEntry(user, amount, txId);
        if (processed[txId]) revert TxAlreadyProcessed(txId);
        _reward(user, domainId, amount, aiOptimized, txId);
    }

    /**
     * @notice Mints many rewards in one transaction. An entry whose txId was already applied (by an
     * earlier call or earlier in this batch) is skipped with RewardSkipped, so a retried batch is
     * harmless; any other invalid entry reverts the whole batch.
     */
    function distributeDomainRewardsBatch(
        Reward[] calldata rewards
    ) external onlyRole(DOMAIN_ADMIN_ROLE) whenNotPaused {
        if (rewards.length == 0) revert EmptyBatch();
        for (uint256 i = 0; i < rewards.length; ++i) {
            Reward calldata r = rewards[i];
            _requireEntry(r.user, r.amount, r.txId);
            if (processed[r.txId]) {
                emit RewardSkipped(r.txId);
                continue;
            }
            _reward(r.user, r.domainId, r.amount, r.aiOptimized, r.txId);
        }
    }

    // ---- Redemptions ---------------------------------------------------------------------------

    /**
     * @notice Burns `amount` of the user's earned and not yet redeemed tokens, mirroring a
     * redemption the user requested through the ledger. Tokens received by transfer are never
     * burnable this way: the bound is `rewardsOf - redeemedOf` (and the balance).
     */
    function redeem(
        address user,
        bytes32 domainId,
        uint256 amount,
        bytes32 txId
    ) external onlyRole(DOMAIN_ADMIN_ROLE) whenNotPaused {
        _requireEntry(user, amount, txId);
        if (processed[txId]) revert TxAlreadyProcessed(txId);
        if (!domains[domainId].active) revert DomainNotActive(domainId);
        Account storage account = _accounts[user];
        uint256 redeemable = uint256(account.earned) - account.redeemed;
        if (amount > redeemable) revert RedemptionExceedsRedeemable(user, amount, redeemable);

        processed[txId] = true;
        account.redeemed += SafeCast.toUint112(amount);
        _burn(user, amount);
        emit Redeemed(user, domainId, txId, amount);
    }

    // ---- AI oracle -----------------------------------------------------------------------------

    /// @notice Records a user's AI optimisation scores; the history is kept in the events.
    function recordAIOptimization(
        address user,
        uint256 performanceScore,
        uint256 engagementBoost
    ) external onlyRole(AI_ORACLE_ROLE) {
        if (user == address(0)) revert ZeroAddress();
        uint256 count = ++aiOptimizationCount[user];
        emit AIOptimizationRecorded(user, performanceScore, engagementBoost, count);
    }

    // ---- Pause ---------------------------------------------------------------------------------

    /// @notice Stops transfers, mints and burns.
    function pause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    /// @notice Resumes transfers, mints and burns.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ---- Views ---------------------------------------------------------------------------------

    /// @notice Everything the user earned: base rewards and both bonuses.
    function rewardsOf(address user) external view returns (uint256) {
        return _accounts[user].earned;
    }

    /// @notice Everything burned by redemptions.
    function redeemedOf(address user) external view returns (uint256) {
        return _accounts[user].redeemed;
    }

    /// @notice The distinct domains on which the user received at least one reward.
    function rewardedDomainCount(address user) external view returns (uint256) {
        return _accounts[user].rewardedDomains;
    }

    /// @notice Whether the domain accepts rewards and redemptions.
    function isDomainActive(bytes32 domainId) external view returns (bool) {
        return domains[domainId].active;
    }

    /// @notice A user's totals in one call.
    function getUserDomainSummary(
        address user
    )
        external
        view
        returns (
            uint256 earned,
            uint256 redeemed,
            uint256 redeemable,
            uint256 rewardedDomains,
            uint256 aiOptimizations
        )
    {
        Account memory account = _accounts[user];
        earned = account.earned;
        redeemed = account.redeemed;
        redeemable = earned - redeemed;
        rewardedDomains = account.rewardedDomains;
        aiOptimizations = aiOptimizationCount[user];
    }

    // ---- Internals -----------------------------------------------------------------------------

    /// @dev Checks shared by rewards and redemptions, made before the txId is looked up.
    function _requireEntry(address user, uint256 amount, bytes32 txId) private pure {
        if (user == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        if (txId == bytes32(0)) revert ZeroTxId();
    }

    /// @dev Books and mints one unprocessed reward; the cap check in _update makes the reward and
    /// its bonuses all-or-nothing.
    function _reward(address user, bytes32 domainId, uint256 amount, bool aiOptimized, bytes32 txId) private {
        if (!domains[domainId].active) revert DomainNotActive(domainId);
        if (amount > MAX_SUPPLY) revert AmountAboveCap(amount, MAX_SUPPLY);
        uint256 aiBonus = aiOptimized ? (amount * AI_BONUS_PERCENT) / 100 : 0;
        uint256 reward = amount + aiBonus;
        uint256 milestoneBonus = 0;

        Account storage account = _accounts[user];
        mapping(bytes32 => uint256) storage perDomain = domainRewardsOf[user];
        if (perDomain[domainId] == 0) {
            uint256 domainCount = account.rewardedDomains + 1;
            account.rewardedDomains = SafeCast.toUint32(domainCount);
            if (domainCount >= MILESTONE_MIN_DOMAINS) {
                milestoneBonus = (reward * domainCount) / 10;
                if (milestoneBonus > MILESTONE_BONUS_MAX) milestoneBonus = MILESTONE_BONUS_MAX;
                emit CrossDomainMilestone(user, domainCount, milestoneBonus);
            }
        }

        uint256 total = reward + milestoneBonus;
        processed[txId] = true;
        perDomain[domainId] += total;
        account.earned += SafeCast.toUint112(total);
        _mint(user, total);
        emit RewardDistributed(user, domainId, txId, amount, aiBonus, milestoneBonus);
    }

    /// @dev Applies the cap on mints and the pause on every balance change.
    function _update(address from, address to, uint256 value) internal override(ERC20Capped, ERC20Pausable) {
        super._update(from, to, value);
    }
}
